module example.com/iface-client-ok

go 1.22
