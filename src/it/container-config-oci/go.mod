module example.com/configoci

go 1.26
