module example.com/iface-middleware-on-ce

go 1.22
