module example.com/iface-logger-signature

go 1.22
