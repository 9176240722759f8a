# isosim: local simulator of ISO-NE and CAISO market-participant web services.
#
#   docker build -t isosim .
#   docker run -p 8000:8000 -v isosim-data:/data isosim
#
# Where no image registry is reachable, build a Debian base locally first (see .ci/make-base-image)
# and pass it: podman build --runtime runc --format docker --build-arg BASE_IMAGE=localhost/isosim-base -t isosim .
# (--format docker keeps the HEALTHCHECK, which the OCI image format has no field for).
ARG BASE_IMAGE=docker.io/library/python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ISOSIM_HOST=0.0.0.0 \
    ISOSIM_PORT=8000 \
    ISOSIM_DATABASE_URL=sqlite:////data/isosim.sqlite3

WORKDIR /srv/isosim
# Dependencies first (read from pyproject.toml), so that code changes do not invalidate that layer.
COPY pyproject.toml README.md ./
RUN python3 -m venv /opt/isosim \
 && /opt/isosim/bin/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > /tmp/requirements.txt \
 && /opt/isosim/bin/pip install -r /tmp/requirements.txt
# isosim itself, as a regular install: the packs and schemas ship inside the package.
COPY app ./app
COPY schemas ./schemas
COPY fixtures ./fixtures
# Bytecode made once here: with PYTHONDONTWRITEBYTECODE the app would be recompiled at every start.
RUN /opt/isosim/bin/pip install --no-deps . \
 && /opt/isosim/bin/python -m compileall -q /opt/isosim/lib \
 && rm -rf build

RUN useradd --system --home /srv/isosim isosim && mkdir -p /data && chown isosim /data
USER isosim
VOLUME ["/data"]
EXPOSE 8000
ENV PATH=/opt/isosim/bin:$PATH

HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/_isosim/ready', timeout=2).status == 200 else 1)"]

CMD ["isosim", "serve"]
