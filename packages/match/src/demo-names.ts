/**
 * Clearly-fake names for demo data, tests and benchmarks, in the naming patterns Passage sees:
 * Arabic, Ukrainian, Somali, Tigrinya, Spanish and Rohingya. One list serves the registry's demo
 * seeder and the matching engine's synthetic generator.
 *
 * Each line is `original|Latin/Latin/…` (or `Latin/Latin` for Latin-only names); spellings are
 * ordered most common first.
 */

import { seededRandom } from './engine/strings.ts';

export { seededRandom };

/** Seeded random choices for demo data (mulberry32 underneath; never for secrets). */
export class DemoRandom {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  /** An index in [0, n) favouring the first (lists put the commonest names first): higher powers favour them more. */
  skewedIndex(n: number, power: number): number {
    return Math.floor(Math.pow(this.next(), power) * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** A value from [value, weight] pairs. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** A name: its original-script form (null for Latin-only patterns) and Latin spellings, most common first. */
export interface DemoName {
  o: string | null;
  l: readonly string[];
}

/** Parses lines of `original|Latin/Latin/…` (or `Latin/Latin` for Latin-only names). */
export function nameList(spec: string): DemoName[] {
  return spec
    .trim()
    .split('\n')
    .map((line) => {
      const [a, b] = line.trim().split('|') as [string, string | undefined];
      return b === undefined ? { o: null, l: a.split('/') } : { o: a, l: b.split('/') };
    });
}

export const ARABIC_MALE: readonly DemoName[] = nameList(`
محمد|Mohammed/Muhammad/Mohamed/Mohammad/Mohamad
أحمد|Ahmad/Ahmed/Ahmet
علي|Ali/Aly
حسن|Hassan/Hasan
حسين|Hussein/Hussain/Husein/Hossein
محمود|Mahmoud/Mahmud/Mahmood
خالد|Khaled/Khalid
عمر|Omar/Umar/Omer
يوسف|Youssef/Yousef/Yusuf/Yosef
إبراهيم|Ibrahim/Ebrahim/Brahim
عبد الله|Abdullah/Abdallah/Abd al-Lah/Abdulla
عبد الرحمن|Abdulrahman/Abd al-Rahman/Abdel Rahman/Abdelrahman
عبد الكريم|Abdulkarim/Abd al-Karim/Abdel Karim
عبد العزيز|Abdulaziz/Abd al-Aziz/Abdelaziz
مصطفى|Mustafa/Moustafa/Mostafa
سعيد|Said/Saeed/Saed
سامر|Samer/Sameer
فادي|Fadi/Fady
طارق|Tariq/Tarek/Tarik
وليد|Walid/Waleed
ماجد|Majed/Majid
باسل|Basel/Basil
جمال|Jamal/Gamal
نبيل|Nabil/Nabeel
رامي|Rami/Ramy
زياد|Ziad/Ziyad
كريم|Karim/Kareem
عادل|Adel/Adil
أيمن|Ayman/Aiman
هاني|Hani/Hany
عثمان|Othman/Osman/Uthman
آدم|Adam/Adem
بشير|Bashir/Basheer
`);

export const ARABIC_FEMALE: readonly DemoName[] = nameList(`
فاطمة|Fatima/Fatma/Fatimah
عائشة|Aisha/Aysha/Aicha
مريم|Maryam/Mariam/Meriem
زينب|Zainab/Zaynab/Zeinab
نور|Nour/Noor/Nur
سارة|Sara/Sarah
ليلى|Layla/Leila/Laila
هدى|Huda/Hoda
رنا|Rana
ريم|Reem/Rim
سلمى|Salma/Selma
آمنة|Amina/Amna/Aminah
خديجة|Khadija/Khadeeja/Khadidja
رقية|Ruqaya/Roukaya/Ruqayyah
دعاء|Duaa/Doaa/Dua
أسماء|Asmaa/Asma
هبة|Heba/Hiba
رهف|Rahaf
لمى|Lama
جنى|Jana/Janna
شهد|Shahd/Shahed
ياسمين|Yasmin/Yasmine/Jasmin
إيمان|Iman/Eman
حنان|Hanan
سعاد|Souad/Suad
وفاء|Wafaa/Wafa
نادية|Nadia/Nadiya
رشا|Rasha
منى|Mona/Muna
غادة|Ghada
سمية|Sumaya/Soumaya/Somaia
حليمة|Halima/Haleema
`);

export const ARABIC_FAMILY: readonly DemoName[] = nameList(`
الحسن|al-Hassan/Al Hasan/Alhassan/el-Hassan
الأحمد|al-Ahmad/Al Ahmed/Alahmad
العلي|al-Ali/Al Ali/Alali/el-Ali
الخطيب|al-Khatib/Al Khateeb/Alkhatib/el-Khatib
الحلبي|al-Halabi/Al Halabi/Alhalabi
المصري|al-Masri/Al Masry/Elmasry
الشامي|al-Shami/Al Chami/Alshami
الحمصي|al-Homsi/Al Humsi/Alhomsi
الجبوري|al-Jubouri/Al Jabouri/Aljuburi
الدليمي|al-Dulaimi/Al Dulaimy/Aldulaimi
التميمي|al-Tamimi/Al Tameemi/Altamimi
العبيدي|al-Obaidi/Al Ubaidi/Alobaidi
الزبيدي|al-Zubaidi/Al Zubaydi/Azzubaidi
عبد الله|Abdullah/Abd al-Lah/Abdalla
عبد الرحيم|Abdulrahim/Abd al-Rahim/Abdel Rahim
عبد الحميد|Abdulhamid/Abd al-Hamid/Abdel Hamid
النجار|al-Najjar/Al Naggar/Alnajjar
الحداد|al-Haddad/Al Hadad/Alhaddad
القاسم|al-Qasim/Al Kassem/Alqasem
السيد|al-Sayed/El Sayed/Elsayed/Alsayyid
عثمان|Osman/Othman/Uthman
إدريس|Idris/Edris/Idriss
آدم|Adam/Adem
`);

export const UKRAINIAN_FEMALE: readonly DemoName[] = nameList(`
Олена|Olena/Elena
Наталія|Nataliia/Nataliya/Natalia
Оксана|Oksana/Oxana
Ірина|Iryna/Irina
Тетяна|Tetiana/Tetyana/Tatiana
Світлана|Svitlana/Svetlana
Юлія|Yuliia/Yuliya/Julia
Ольга|Olha/Olga
Марія|Mariia/Mariya/Maria
Анна|Anna
Ганна|Hanna/Ganna
Людмила|Liudmyla/Lyudmyla/Ludmila
Валентина|Valentyna/Valentina
Галина|Halyna/Galina
Катерина|Kateryna/Katerina/Ekaterina
Вікторія|Viktoriia/Viktoriya/Victoria
Анастасія|Anastasiia/Anastasiya/Anastasia
Дарина|Daryna/Darina
Софія|Sofiia/Sofiya/Sofia
Соломія|Solomiia/Solomiya
Христина|Khrystyna/Khristina/Kristina
Мирослава|Myroslava/Miroslava
Лариса|Larysa/Larisa
Надія|Nadiia/Nadiya/Nadia
Віра|Vira/Vera
Любов|Liubov/Lyubov
Зоряна|Zoriana/Zoryana
Ніна|Nina
Алла|Alla
Богдана|Bohdana/Bogdana
Вероніка|Veronika
Поліна|Polina
Злата|Zlata
Аліна|Alina
`);

export const SOMALI_MALE: readonly DemoName[] = nameList(`
Mohamed/Maxamed/Mohammed
Abdi/Cabdi
Ahmed/Axmed/Ahmad
Hassan/Xasan/Hasan
Ali/Cali
Omar/Cumar
Abdullahi/Cabdullaahi/Abdulahi
Yusuf/Yuusuf/Yousuf
Ibrahim/Ibraahim
Ismail/Ismaaciil/Ismael
Osman/Cismaan/Othman
Abdirahman/Cabdiraxmaan/Abdulrahman
Abdikarim/Cabdikariim
Hussein/Xuseen/Hussen
Farah/Faarax
Mahad/Mahaad
Abdiaziz/Cabdicasiis
Said/Saciid
Nur/Nuur
Jama/Jaamac
Warsame/Warsame
Abdiqani/Cabdiqani
Guled/Guuleed
Hamza/Xamse
Mustafe/Mustafa
Aden/Aadan/Adan
Dahir/Daahir
Bashir/Bashiir
Khalid/Khaalid
Liban/Liibaan
Hirsi/Xirsi
Mukhtar/Mukhtaar
Sharmarke/Sharmaarke
`);

export const SOMALI_FEMALE: readonly DemoName[] = nameList(`
Fadumo/Faadumo/Fatima
Amina/Aamina
Hodan
Sahra/Sahro/Zahra
Halima/Xaliimo/Halimo
Asha/Caasha/Aisha
Khadija/Khadiijo/Khadijo
Maryan/Maryam/Mariam
Hawa/Xaawo/Hawo
Safiya/Safiyo
Nasra/Nasro
Hibo/Hiba
Ifrah/Ifraax
Ayan/Ayaan
Deeqa/Deeqo
Ilhan/Ilhaan
Hamdi/Xamdi
Idil/Idiil
Sagal
Ladan
Nimco/Nimo
Sucaad/Suad
Muna
Najma/Najmo
Sumaya/Sumayo
Fardowsa/Firdowsa
Qamar
Ubah/Ubax
Warda/Wardo
Ruqiya/Ruqiyo
Anisa/Aniso
Filsan
Kaltum/Kaltuun
`);

export const TIGRINYA_MALE: readonly DemoName[] = nameList(`
ተስፋይ|Tesfay/Tesfai/Tesfaye
ሰለሞን|Solomon/Selemon
ዳዊት|Dawit/Dawitt
ዮናስ|Yonas/Jonas
ሃብተ|Habte/Habtai
ገብረ|Gebre/Ghebre
ኣማኑኤል|Amanuel/Emanuel
ሚካኤል|Mikael/Michael/Mikiel
ተኽለ|Tekle/Tecle/Teklay
ብርሃነ|Berhane/Birhane/Brhane
ሙሴ|Musie/Muse
ፍሰሃ|Fsaha/Fisaha/Fessaha
ዓወት|Awet
ክብሮም|Kibrom/Kbrom
ሄኖክ|Henok/Enoch
ሳሙኤል|Samuel
ምሕረትኣብ|Mehretab/Mihretab
ሃይለ|Haile/Hayle
ዮሃንስ|Yohannes/Yohanes
ኣብርሃም|Abraham/Abreham
ተወልደ|Tewelde/Tewolde
ንጉሰ|Negusse/Nigusse/Negussie
ገብረመድህን|Gebremedhin/Ghebremedhin/Gebremedhn
ወልዱ|Woldu/Weldu
ኤርምያስ|Ermias/Ermiyas
ፊልሞን|Filmon/Philemon
ኪዳነ|Kidane/Kidanu
ሰመረ|Semere/Semre
መሓሪ|Mehari/Mihari
ቢንያም|Biniam/Biniyam/Binyam
ዘርኣይ|Zerai/Zeray
ኣሮን|Aron/Aaron
ሩፋኤል|Rufael/Rafael
`);

export const TIGRINYA_FEMALE: readonly DemoName[] = nameList(`
ሰላም|Selam/Salam
ሳባ|Saba
ሄለን|Helen/Hellen
ሉላ|Lula
ሩት|Ruth/Rut
ፍረወይኒ|Freweini/Freweyni/Frewoini
ሰናይት|Senait/Senayt
ትምኒት|Timnit/Temnit
ኤልሳ|Elsa
ሃና|Hana/Hanna
ሉዋም|Luwam/Luam
ሰምሃር|Semhar
ኣዜብ|Azeb
ጽጌ|Tsige/Tsighe
ኣብረኸት|Abrehet/Abrehet
ሮዛ|Rosa/Roza
ዮርዳኖስ|Yordanos
ኣስቴር|Aster/Ester
ትርሓስ|Tirhas/Trhas/Tirhass
ሰላማዊት|Selamawit/Selamawet
ፍዮሪ|Fiori/Fyori
ዊንታ|Winta/Wintana
ሳምራዊት|Samrawit/Semrawit
ኤደን|Eden
ሚርያም|Miriam/Meriam
ማርታ|Martha/Marta
ሓዳስ|Hadas/Hadass
ብርኽቲ|Birikti/Brikti/Berikti
ኣኽበረት|Akberet/Akberet
ጸጋ|Tsega/Tsegga
ሙሉ|Mulu
ኣበባ|Abeba
ለምለም|Lemlem
ለተብርሃን|Letebrhan/Letebirhan
ሳሮን|Saron/Sharon
ኤፍራታ|Efrata/Ephrata
`);

export const SPANISH_MALE: readonly DemoName[] = nameList(`
José/Jose
Juan
Luis
Carlos
Jorge
Miguel
Pedro
Andrés/Andres
Alejandro
Daniel
David
Gabriel
Jesús/Jesus
Manuel
Francisco
Antonio
Rafael
Fernando
Ricardo
Eduardo
Diego
Santiago
Sebastián/Sebastian
Mateo
Samuel
Javier/Xavier
Óscar/Oscar
Alberto
Julio
Héctor/Hector
Camilo
Wilmer/Wilmar
Yohan/Johan/Jhoan
`);

export const SPANISH_FEMALE: readonly DemoName[] = nameList(`
María/Maria
Ana
Carmen
Rosa
Luisa
Gabriela
Daniela
Valentina
Camila
Sofía/Sofia
Isabella/Isabela
Mariana
Andrea
Paola
Carolina
Alejandra
Fernanda
Juliana
Natalia
Patricia
Yolanda
Beatriz
Gloria
Marisol
Yesenia/Jesenia
Yuleisy/Yuleisi
Adriana
Diana
Laura
Lucía/Lucia
Victoria
Milagros
Luz
Elena
`);

export const SPANISH_SURNAMES: readonly DemoName[] = nameList(`
González/Gonzalez
Rodríguez/Rodriguez
Pérez/Perez
Hernández/Hernandez
García/Garcia
Martínez/Martinez
López/Lopez
Gómez/Gomez
Díaz/Diaz
Sánchez/Sanchez
Ramírez/Ramirez
Torres
Rojas
Moreno
Vargas
Castillo
Jiménez/Jimenez
Romero
Suárez/Suarez
Mendoza
Guerrero
Medina
Ortiz
Silva
Contreras
Álvarez/Alvarez
Quintero
Ospina
Cárdenas/Cardenas
`);

export const ROHINGYA_MALE: readonly DemoName[] = nameList(`
نور عالم|Nur Alam/Noor Alam/Nurul Alam
محمد ایاز|Mohammed Ayaz/Mohammad Ayas/Md Ayaz
عبدالکریم|Abdul Karim/Abdul Kareem/Abdukarim
محمد رفیق|Mohammed Rafiq/Mohammad Rafique/Md Rafik
کبیر احمد|Kabir Ahmed/Kobir Ahmad
رشید احمد|Rashid Ahmed/Rosid Ahmad/Rashid Ahmad
حمید حسین|Hamid Hussain/Hamid Hossain/Hamid Hosen
سلیم اللہ|Salimullah/Salim Ullah/Selim Ullah
یاسین|Yasin/Yeasin/Yaseen
انور|Anwar/Anowar/Anwer
جمال حسین|Jamal Hussain/Jamal Hossain
اسماعیل|Ismail/Esmail/Ismael
شفیع عالم|Shafi Alam/Shofi Alam
سلطان احمد|Sultan Ahmed/Sultan Ahmad
زبیر|Zubair/Jubair/Zubayer
ہاشم|Hashim/Hashem/Hasim
امین اللہ|Aminullah/Amin Ullah
حافظ احمد|Hafez Ahmed/Hafiz Ahmad
فیصل|Faisal/Foysal/Faysal
شاہد اللہ|Shahidullah/Shahid Ullah
کمال|Kamal/Kamaal
ذاکر احمد|Zakir Ahmed/Jakir Ahmad
ایوب|Ayub/Ayoub/Aiyub
ادریس|Idris/Edris
یونس|Younus/Yunus/Yonus
حبیب اللہ|Habibullah/Habib Ullah
سید عالم|Sayed Alam/Syed Alam/Saiyed Alam
عبدالرحمن|Abdur Rahman/Abdul Rahman/Abdurrahman
نور الاسلام|Nurul Islam/Noorul Islam/Nur Islam
محمد الیاس|Mohammed Ilyas/Md Eliyas/Mohammad Elias
دل محمد|Dil Mohammed/Dil Mohammad
عبدالشکور|Abdul Shukkur/Abdus Shukur/Abdul Shukur
`);

export const ROHINGYA_FEMALE: readonly DemoName[] = nameList(`
نور بیگم|Nur Begum/Noor Begum/Nur Begom
رشیدہ بیگم|Rashida Begum/Roshida Begom
فاطمہ خاتون|Fatema Khatun/Fatima Khatoon/Fatema Khatu
سنوارہ بیگم|Sanowara Begum/Sanuara Begom
حسینہ بیگم|Hasina Begum/Hosina Begom
جمیلہ|Jamila/Jamela/Jomila
ام کلثوم|Umme Kulsum/Ummay Kulsum
سمیرہ|Samira/Somira/Shamira
دل آرا|Dil Ara/Dilara
منورہ|Monowara/Munawara/Monuara
جنت آرا|Jannat Ara/Jannatara/Jonnot Ara
روبینہ|Rubina/Robina
شاہدہ|Shahida/Sahida
آمنہ خاتون|Amena Khatun/Amina Khatoon
ہاجرہ|Hajera/Hajira/Hazera
خدیجہ|Khadija/Khodeza/Khadiza
رحیمہ|Rahima/Rohima
ستارہ|Setara/Sitara
ممتاز|Momtaz/Mumtaz
نسیمہ|Nasima/Nosima
یاسمین|Yasmin/Jasmin/Yeasmin
حلیمہ|Halima/Holima
زہرہ|Zohra/Johura/Zahra
شمس النہار|Shamsun Nahar/Samsunnahar
انورہ بیگم|Anowara Begum/Anwara Begom
صفیہ|Safia/Sufia
تسلیمہ|Taslima/Toslima
مرجان|Marjan/Marjaan
بلقیس|Bilkis/Belkis/Bilquis
نور جہاں|Nur Jahan/Noor Jahan/Nurjahan
کلثوم|Kulsum/Kulsoom
روشن آرا|Roshan Ara/Roshanara/Rowshon Ara
`);

/** A Ukrainian man's name with the patronymics it gives his children. */
export interface UkrainianMale extends DemoName {
  /** Patronymic of a son / a daughter: original, Latin spellings. */
  pm: DemoName;
  pf: DemoName;
}

export function ukrainianMales(spec: string): UkrainianMale[] {
  return spec
    .trim()
    .split('\n')
    .map((line) => {
      const [o, l, po, pml, pfl] = line.trim().split('|') as [string, string, string, string, string];
      const [pmo, pfo] = po.split('/') as [string, string];
      return { o, l: l.split('/'), pm: { o: pmo, l: pml.split('/') }, pf: { o: pfo, l: pfl.split('/') } };
    });
}

export const UKRAINIAN_MALE: readonly UkrainianMale[] = ukrainianMales(`
Олександр|Oleksandr/Olexandr/Aleksandr/Oleksander|Олександрович/Олександрівна|Oleksandrovych/Olexandrovych/Aleksandrovich|Oleksandrivna/Olexandrivna/Aleksandrovna
Андрій|Andrii/Andriy/Andrij/Andrey|Андрійович/Андріївна|Andriiovych/Andriyovych/Andreevich|Andriivna/Andriyivna/Andreevna
Сергій|Serhii/Serhiy/Sergiy/Sergey|Сергійович/Сергіївна|Serhiiovych/Serhiyovych/Sergeevich|Serhiivna/Serhiyivna/Sergeevna
Володимир|Volodymyr/Wolodymyr/Vladimir|Володимирович/Володимирівна|Volodymyrovych/Vladimirovich|Volodymyrivna/Vladimirovna
Дмитро|Dmytro/Dmitro/Dmitriy|Дмитрович/Дмитрівна|Dmytrovych/Dmitrievich|Dmytrivna/Dmitrievna
Микола|Mykola/Mikola/Nikolai|Миколайович/Миколаївна|Mykolaiovych/Mykolayovych/Nikolaevich|Mykolaivna/Mykolayivna/Nikolaevna
Іван|Ivan|Іванович/Іванівна|Ivanovych/Ivanovich|Ivanivna/Ivanovna
Василь|Vasyl/Vasil/Vasiliy|Васильович/Василівна|Vasylovych/Vasilievich|Vasylivna/Vasilievna
Петро|Petro/Pyotr|Петрович/Петрівна|Petrovych/Petrovich|Petrivna/Petrovna
Михайло|Mykhailo/Mykhaylo/Mikhail|Михайлович/Михайлівна|Mykhailovych/Mykhaylovych/Mikhailovich|Mykhailivna/Mykhaylivna/Mikhailovna
Юрій|Yurii/Yuriy/Iurii/Yuri|Юрійович/Юріївна|Yuriiovych/Yuriyovych/Yurievich|Yuriivna/Yuriyivna/Yurievna
Олег|Oleh/Oleg|Олегович/Олегівна|Olehovych/Olegovich|Olehivna/Olegovna
Віктор|Viktor/Victor|Вікторович/Вікторівна|Viktorovych/Viktorovich|Viktorivna/Viktorovna
Богдан|Bohdan/Bogdan|Богданович/Богданівна|Bohdanovych/Bogdanovich|Bohdanivna/Bogdanovna
Тарас|Taras|Тарасович/Тарасівна|Tarasovych/Tarasovich|Tarasivna/Tarasovna
Максим|Maksym/Maksim/Maxim|Максимович/Максимівна|Maksymovych/Maksimovich|Maksymivna/Maksimovna
Артем|Artem/Artyom|Артемович/Артемівна|Artemovych/Artyomovich|Artemivna/Artyomovna
Денис|Denys/Denis|Денисович/Денисівна|Denysovych/Denisovich|Denysivna/Denisovna
Євген|Yevhen/Yevgen/Evgeniy/Ievgen|Євгенович/Євгенівна|Yevhenovych/Evgenievich|Yevhenivna/Evgenievna
Ігор|Ihor/Igor|Ігорович/Ігорівна|Ihorovych/Igorevich|Ihorivna/Igorevna
Роман|Roman|Романович/Романівна|Romanovych/Romanovich|Romanivna/Romanovna
Степан|Stepan|Степанович/Степанівна|Stepanovych/Stepanovich|Stepanivna/Stepanovna
Павло|Pavlo/Pavel|Павлович/Павлівна|Pavlovych/Pavlovich|Pavlivna/Pavlovna
Григорій|Hryhorii/Hryhoriy/Grigoriy|Григорович/Григорівна|Hryhorovych/Grigorievich|Hryhorivna/Grigorievna
Анатолій|Anatolii/Anatoliy/Anatoly|Анатолійович/Анатоліївна|Anatoliiovych/Anatoliyovych/Anatolievich|Anatoliivna/Anatoliyivna/Anatolievna
Валерій|Valerii/Valeriy/Valery|Валерійович/Валеріївна|Valeriiovych/Valerievich|Valeriivna/Valerievna
Костянтин|Kostiantyn/Kostyantyn/Konstantin|Костянтинович/Костянтинівна|Kostiantynovych/Konstantinovich|Kostiantynivna/Konstantinovna
Олексій|Oleksii/Oleksiy/Alexey/Aleksei|Олексійович/Олексіївна|Oleksiiovych/Oleksiyovych/Alekseevich|Oleksiivna/Oleksiyivna/Alekseevna
Владислав|Vladyslav/Vladislav|Владиславович/Владиславівна|Vladyslavovych/Vladislavovich|Vladyslavivna/Vladislavovna
Ярослав|Yaroslav/Iaroslav|Ярославович/Ярославівна|Yaroslavovych/Iaroslavovych|Yaroslavivna/Iaroslavivna
Назар|Nazar|Назарович/Назарівна|Nazarovych/Nazarovich|Nazarivna/Nazarovna
Кирило|Kyrylo/Kirill/Kyrilo|Кирилович/Кирилівна|Kyrylovych/Kirillovich|Kyrylivna/Kirillovna
Матвій|Matvii/Matviy/Matvey|Матвійович/Матвіївна|Matviiovych/Matveevich|Matviivna/Matveevna
`);

/** A surname with its masculine and feminine forms (the same for most Ukrainian surnames). */
export interface GenderedName {
  m: DemoName;
  f: DemoName;
}

/** Lines of `Original|Latin/…` (invariant) or `Masc/Fem|Latin m/…|Latin f/…` (gendered). */
export function gendered(spec: string): GenderedName[] {
  return spec
    .trim()
    .split('\n')
    .map((line) => {
      const [o, lm, lf] = line.trim().split('|') as [string, string, string | undefined];
      const [om, of] = o.split('/') as [string, string | undefined];
      const m = { o: om, l: lm.split('/') };
      return { m, f: of !== undefined && lf !== undefined ? { o: of, l: lf.split('/') } : m };
    });
}

export const UKRAINIAN_SURNAMES: readonly GenderedName[] = gendered(`
Шевченко|Shevchenko
Коваленко|Kovalenko
Бондаренко|Bondarenko
Ткаченко|Tkachenko
Кравченко|Kravchenko/Krawczenko
Олійник|Oliinyk/Oliynyk/Oleinik
Шевчук|Shevchuk
Поліщук|Polishchuk/Polischuk
Бойко|Boiko/Boyko
Ткачук|Tkachuk
Мельник|Melnyk/Melnik
Коваль|Koval
Савченко|Savchenko
Руденко|Rudenko
Марченко|Marchenko
Лисенко|Lysenko/Lisenko
Гончаренко|Honcharenko/Goncharenko
Петренко|Petrenko
Павленко|Pavlenko
Кузьменко|Kuzmenko
Левченко|Levchenko
Харченко|Kharchenko
Ковальський/Ковальська|Kovalskyi/Kovalskyy/Kovalsky|Kovalska/Kovalskaya
Савицький/Савицька|Savytskyi/Savytskyy/Savitsky|Savytska/Savitskaya
Іванов/Іванова|Ivanov|Ivanova
Соколов/Соколова|Sokolov|Sokolova
`);
