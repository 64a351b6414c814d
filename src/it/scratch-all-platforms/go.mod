module example.com/allplatforms

go 1.26
