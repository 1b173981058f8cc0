module example.com/header-echo

go 1.17
