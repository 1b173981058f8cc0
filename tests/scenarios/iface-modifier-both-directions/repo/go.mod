module example.com/iface-modifier-both-directions

go 1.22
