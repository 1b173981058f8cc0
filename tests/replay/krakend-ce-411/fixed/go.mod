module example.com/authserviceplug

go 1.16
