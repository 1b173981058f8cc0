package main

import (
	"log"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: krakend run -c krakend.json")
	}
	log.Println("starting", os.Args[1])
}
