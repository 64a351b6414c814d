module example.com/extrafiles

go 1.26
