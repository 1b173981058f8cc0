module example.com/iface-pointer-variable

go 1.22
