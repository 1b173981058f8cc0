module github.com/example/krakend-grpc-gateway-plugin

go 1.15
