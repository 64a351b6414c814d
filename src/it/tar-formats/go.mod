module example.com/tarformats

go 1.26
