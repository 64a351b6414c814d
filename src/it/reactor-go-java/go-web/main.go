package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "go-web answers %s\n", r.URL.Path)
	})
	if err := http.ListenAndServe(":8080", nil); err != nil {
		panic(err)
	}
}
