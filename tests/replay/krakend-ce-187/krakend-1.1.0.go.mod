// The part of krakend-ce v1.1.0's module requirements this case needs: the grpc version the
// maintainer points to in the thread (KrakenD 1.x has no embedded module list).
module github.com/devopsfaith/krakend-ce

go 1.12

require google.golang.org/grpc v1.27.1
