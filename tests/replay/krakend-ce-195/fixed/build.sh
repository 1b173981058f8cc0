#!/bin/sh
# builds the plugin with KrakenD 1.1.0's Go (1.14.0)
set -e
docker run --rm -v "$PWD:/src" -w /src golang:1.14.0 go build -buildmode=plugin -o plugins/my-plugin.so .
