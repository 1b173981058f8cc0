module example.com/iface-middleware-ok

go 1.22
