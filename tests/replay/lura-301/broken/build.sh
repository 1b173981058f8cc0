#!/bin/sh
set -e
go build -buildmode=plugin -o plugins/my-plugin.so .
