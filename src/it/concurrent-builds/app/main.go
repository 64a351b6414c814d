package main
import (
    "fmt"
    "net/http")

// verify.groovy changes this line before each round of builds.
const round = "0"

func main() {
    http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
        fmt.Fprintf(w, "Round %s: %s\n", round, r.URL.Path)
    })

    http.ListenAndServe("0.0.0.0:8080", nil)
}
