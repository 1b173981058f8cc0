module example.com/iface-symbol-misspelt

go 1.22
