module example.com/samedigest

go 1.26
