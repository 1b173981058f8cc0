#!/bin/sh
# builds the plugin with the Go installed on this machine
set -e
go build -trimpath -buildmode=plugin -o plugins/my-plugin.so .
