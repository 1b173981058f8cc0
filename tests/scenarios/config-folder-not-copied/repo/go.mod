module example.com/config-folder-not-copied

go 1.22
