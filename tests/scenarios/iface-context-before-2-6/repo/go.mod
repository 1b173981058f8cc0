module example.com/iface-context-before-2-6

go 1.22
