// The part of krakend-ce v1.2.0's module requirements this case needs: the two versions the
// maintainer gives in the thread (KrakenD 1.x has no embedded module list).
module github.com/devopsfaith/krakend-ce

go 1.15

require (
	github.com/golang/protobuf v1.3.4
	github.com/lib/pq v1.1.1
)
