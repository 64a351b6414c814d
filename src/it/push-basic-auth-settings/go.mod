module example.com/basicauth

go 1.26
