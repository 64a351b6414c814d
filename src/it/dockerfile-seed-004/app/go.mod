module myapp

go 1.18
