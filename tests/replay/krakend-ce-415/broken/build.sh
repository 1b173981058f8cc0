#!/bin/sh
set -e
cd krakend-example && go build -buildmode=plugin -o ../plugins/krakend-example.so .
