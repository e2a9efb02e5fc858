"""Sample printed documents, for README's screenshots: `make screenshots`.

A certificate of an organization with seven covered sites (its annex page), and the notice of
its suspension, made from domain objects alone (no store), printed as PDF and turned into PNG
pages with poppler's pdftoppm:

    python -m api.reports.samples docs/screenshots
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from api.reports.certificate import build_certificate, render_certificate_pdf
from api.reports.letter import render_letter_pdf
from api.reports.status_notice import build_suspension_notice, status_letter
from domain.certificate import CERTIFICATION_BASIS, Certificate, expiry_for

ISSUED_ON = date(2026, 3, 10)
PRINTED_ON = date(2026, 11, 28)
URL = "http://127.0.0.1:8000/verify/ECPSC-SC-2026-00042"

ORGANIZATION = {
    "name": "福州闽江家电服务有限公司",
    "uscc": "91350100MA2XN0QX1B",
    "address": "福建省福州市鼓楼区五四路 128 号",
}
SITES = [
    {"name": "中心办公室", "address": ORGANIZATION["address"]},
    *(
        {"name": f"{district}服务网点", "address": f"福建省福州市{district}{street}"}
        for district, street in (
            ("鼓楼区", "杨桥中路 18 号"),
            ("台江区", "八一七中路 300 号"),
            ("仓山区", "南江滨西大道 66 号"),
            ("晋安区", "福新中路 95 号"),
            ("马尾区", "罗星西路 21 号"),
            ("长乐区", "郑和中路 9 号"),
        )
    ),
]


def sample_certificate() -> Certificate:
    """A four-star certificate issued 2026-03-10, covering the central office and six sites."""
    return Certificate(
        number="ECPSC-SC-2026-00042",
        organization=ORGANIZATION,
        scope="家用电器（空调、冰箱、洗衣机）的安装、维修及退换货服务",
        sites=SITES,
        grade="four_star",
        issued_on=ISSUED_ON,
        expires_on=expiry_for(ISSUED_ON),
        audit_id="sample-audit",
        decision_id="sample-decision",
        application_id=None,
        basis=CERTIFICATION_BASIS,
        by="sample",
    )


def write_samples(directory: Path) -> list[Path]:
    """Print the samples into directory as PDF and as PNG pages; the PNG files."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed: install Debian's poppler-utils")
    directory.mkdir(parents=True, exist_ok=True)
    certificate = sample_certificate()
    pdfs = {
        "certificate": render_certificate_pdf(build_certificate(certificate, PRINTED_ON, URL)),
    }
    certificate.suspend(
        reason="surveillance_failed",
        verified_on=date(2026, 11, 16),
        effective_on=date(2026, 11, 18),
        months=3,
        by="sample",
    )
    notice = build_suspension_notice(certificate, certificate.collect_events(), PRINTED_ON)
    pdfs["suspension-notice"] = render_letter_pdf(status_letter(notice))
    written = []
    for name, content in pdfs.items():
        pdf = directory / f"{name}.pdf"
        pdf.write_bytes(content)
        for old in directory.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(directory / name)], check=True
        )
        pdf.unlink()
        written += sorted(directory.glob(f"{name}-*.png"))
    return written


if __name__ == "__main__":
    for path in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
