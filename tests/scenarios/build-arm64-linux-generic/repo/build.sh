#!/bin/sh
# Builds the plugin for the arm64 deb package of KrakenD 2.10.2.
set -eu
KRAKEND_BUILDER=krakend/builder:2.10.2-linux-generic
docker run --rm -v "$PWD:/app" -w /app \
  -e GOARCH=arm64 -e CC=aarch64-linux-musl-gcc \
  "$KRAKEND_BUILDER" \
  go build -buildmode=plugin -o krakend-example-arm64.so .
