module example.com/iface-registerer-in-other-package-ok

go 1.22
