#!/bin/sh
set -e
docker run --rm -v "$PWD:/src" -w /src golang:1.13.1-alpine3.10 sh -c 'apk add --no-cache gcc musl-dev && go build -buildmode=plugin -o plugins/my-plugin.so .'
