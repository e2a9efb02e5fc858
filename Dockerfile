FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY projections projections
COPY api api
COPY workers workers
COPY ecpsc ecpsc
RUN pip install --no-cache-dir . && useradd --create-home ecpsc
USER ecpsc
EXPOSE 8000
CMD ["ecpsc", "serve", "--host", "0.0.0.0", "--port", "8000"]
