module example.com/pomlabels

go 1.26
