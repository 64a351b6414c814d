module example.com/old

go 1.99.0
