module github.com/example/krakend-grpc-gateway-plugin

go 1.15

require (
	github.com/golang/protobuf v1.3.4
	github.com/lib/pq v1.1.1
)
