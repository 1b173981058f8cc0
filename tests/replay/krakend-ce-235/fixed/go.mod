module example.com/grpc-gateway-plugin

go 1.14
