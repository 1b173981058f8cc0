module example.com/grpc-gateway-post

go 1.13

require (
	google.golang.org/grpc v1.20.1
)
