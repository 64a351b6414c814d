module example.com/scratchca

go 1.26
