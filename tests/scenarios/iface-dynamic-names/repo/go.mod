module example.com/iface-dynamic-names

go 1.22
