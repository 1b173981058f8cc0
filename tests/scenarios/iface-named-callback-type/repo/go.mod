module example.com/iface-named-callback-type

go 1.22
