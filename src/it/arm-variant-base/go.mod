module example.com/armvariant

go 1.26
