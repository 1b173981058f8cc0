#!/bin/sh
set -e
docker run --rm -v "$PWD:/src" -w /src/krakend-example golang:1.16.4 go build -buildmode=plugin -o ../plugins/krakend-example.so .
