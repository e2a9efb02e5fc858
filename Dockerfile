FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md requirements-dev.lock ./
COPY domain domain
COPY projections projections
COPY api api
COPY workers workers
COPY ecpsc ecpsc
# The versions CI tested (requirements-dev.lock as constraints); the outbox directory exists
# owned by the service user, so the volume mounted there is writable.
RUN pip install --no-cache-dir -c requirements-dev.lock . \
 && useradd --create-home ecpsc \
 && mkdir -p /var/lib/ecpsc/outbox && chown -R ecpsc /var/lib/ecpsc
USER ecpsc
EXPOSE 8000
CMD ["ecpsc", "serve", "--host", "0.0.0.0", "--port", "8000"]
