module example.com/krakend-host

go 1.22

require (
	example.com/lura/v2 v2.1.0
	example.com/shared v1.1.0
	example.com/sys v0.2.0
)
