#!/bin/sh
# plugin for the on-premise (deb/rpm, glibc) KrakenD 2.9.1 on arm64
set -e
docker run --rm -v "$PWD:/app" -w /app -e CGO_ENABLED=1 -e CC=aarch64-linux-musl-gcc -e GOARCH=arm64 -e GOHOSTARCH=amd64 krakend/builder:2.9.1-linux-generic go build -ldflags='-extldflags=-fuse-ld=bfd -extld=aarch64-linux-musl-gcc' -buildmode=plugin -o yourplugin.so .
