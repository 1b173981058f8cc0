module example.com/grpc-gateway

go 1.20
