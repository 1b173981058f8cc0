module example.com/yourplugin

go 1.22
