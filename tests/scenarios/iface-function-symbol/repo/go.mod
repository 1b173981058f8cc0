module example.com/iface-function-symbol

go 1.22
