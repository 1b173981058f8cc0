module example.com/iface-not-package-main

go 1.22
