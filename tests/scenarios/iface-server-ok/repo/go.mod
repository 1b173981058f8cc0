module example.com/iface-server-ok

go 1.22
