module github.com/acme/krakend-hello

go 1.16
