module example.com/iface-interface-variable

go 1.22
