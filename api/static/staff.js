// What the staff pages do in the browser besides htmx: kept in this file because the pages'
// Content-Security-Policy admits no inline script and no eval (htmx's allowEval is off).
document.addEventListener("htmx:configRequest", function (event) {
  // "Add a site" on the intake form numbers the new row after those already there.
  if (event.detail.elt && event.detail.elt.id === "add-site") {
    event.detail.parameters.n = document.querySelectorAll("#sites .site-row").length;
  }
});
document.addEventListener("htmx:afterRequest", function (event) {
  // A form marked data-reset-on-success (e.g. a finding) is emptied once it was recorded.
  var form = event.detail.elt;
  if (event.detail.successful && form && form.matches && form.matches("form[data-reset-on-success]")) {
    form.reset();
  }
});
