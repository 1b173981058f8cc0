module example.com/iface-modifier-ok

go 1.22
